"""The Evaluations tab: metrics, chart, goals against actuals, the form and the schedule."""
