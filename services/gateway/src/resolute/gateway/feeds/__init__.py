"""Calendar feeds: a country's or a ministry's deadlines as an iCalendar (RFC 5545) subscription."""
