"""The laptop's side of sync: bundles for the archive, the archive's key, what kind a file is,
and taking in the archive's pack. Imports the workspace, store/ and sync/."""
