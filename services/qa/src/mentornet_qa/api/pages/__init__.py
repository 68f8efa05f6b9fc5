"""The dashboards' pages: server-rendered HTML whose charts are Vega-Lite specs
rendered to SVG by vl-convert, each with its text alternative and data table, all
drawn from the same tables the figure routes answer as JSON and CSV."""
