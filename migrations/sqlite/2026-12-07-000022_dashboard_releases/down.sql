DROP TABLE dashboard_cells;
DROP TABLE dashboard_releases;
