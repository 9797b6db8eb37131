"""Moving data in and out: Excel, backups, and whole-database transfer to a server."""
