"""Reminders: push subscriptions and schedules, the scheduler, Web Push."""
