"""Interchange with the tools around a catalog: Prometheus alerting rules and Backstage entities.
"""
