"""Moving data in and out: Excel export/import, backup/restore, transfer to a server."""
