"""The services behind the gateway and how requests reach them."""
