import { Box, Button, Typography } from "@mui/material";
import { useGetIdentity, useLogout } from "react-admin";

/** A customer account signed in: the console is for the shop's staff, and says so plainly. */
export function NotStaff() {
  const logout = useLogout();
  const { identity } = useGetIdentity();
  return (
    <Box component="main" sx={{ maxWidth: 560, mx: "auto", mt: 8, p: 4 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        You are not staff
      </Typography>
      <Typography gutterBottom>
        {identity?.fullName ? `${identity.fullName} is signed in, but this account` : "This account"} is not a
        member of the shop's staff, so the console has nothing to show. Ask an administrator to add you to a staff
        group, then sign in again.
      </Typography>
      <Button variant="contained" onClick={() => logout()}>
        Sign out
      </Button>
    </Box>
  );
}
