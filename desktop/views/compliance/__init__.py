"""The Compliance tab: the KPI tiles, the findings of the policy checks and their detail."""
