"""The composition root: the adapters container, and the use cases wired per bounded context.

`adapters` builds each adapter once per process; `catalog`, `carts` (and pricing), `checkout` (and orders),
`payments`, `inventory`, `fulfillment` (and after-sales), `customers`, `analytics` (and reports) and
`integrations` each wire their context's use cases, reading only the settings that context needs.
"""
