"""Who owes each commitment (one country's lead ministry, or a body), its status, and the full history."""
