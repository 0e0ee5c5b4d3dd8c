ALTER TABLE locations DROP COLUMN coarse_longitude, DROP COLUMN coarse_latitude;
