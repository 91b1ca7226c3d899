"""What a batch leaves on disk: downloaded files, PO folders, names, the results sheet."""
