"""The actor registry in the tracker's database: seeded from the shipped YAML, edited by admins, versioned."""
