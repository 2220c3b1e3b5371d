"""Feed tokens: secrets for calendar URLs that can read feeds and nothing else."""
