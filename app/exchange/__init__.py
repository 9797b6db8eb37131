"""Exchange with the outside: Excel export/import (openpyxl) and backup/restore."""
