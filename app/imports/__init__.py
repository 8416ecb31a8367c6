"""Cases imported from the case system's CSV or XLSX file by an administrator."""
