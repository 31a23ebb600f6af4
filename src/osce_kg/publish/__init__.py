"""Publishing: a release of dumps, VoID/DCAT and reports, from the store (ARCHITECTURE.md, "Publishing")."""
