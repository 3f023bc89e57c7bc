"""The 766 index files: the inputs the dossier exports lack (index766_inputs) and the portal's published scores
(index766_published)."""
