"""What an operator watches: workers' heartbeats, readiness and metrics."""
