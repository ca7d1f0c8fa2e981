"""Numbers and dates in Arabic news: values, vagueness and time, resolved against the dateline."""
