import { Alert, Box, Button, Typography } from "@mui/material";
import { useLogin } from "react-admin";

export const SIGN_IN_ERROR = "console.signin.error";

/** Before sign-in: one button to the hosted UI (Cognito's, or the local issuer's test page). */
export function SignInPage() {
  const login = useLogin();
  const error = sessionStorage.getItem(SIGN_IN_ERROR);
  return (
    <Box component="main" sx={{ maxWidth: 480, mx: "auto", mt: 10, p: 4 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        Shop console
      </Typography>
      {error && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      <Typography gutterBottom>Sign in with your staff account to run the shop.</Typography>
      <Button
        variant="contained"
        onClick={() => {
          sessionStorage.removeItem(SIGN_IN_ERROR);
          void login({});
        }}
      >
        Sign in
      </Button>
    </Box>
  );
}
