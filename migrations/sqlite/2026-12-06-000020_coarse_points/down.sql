ALTER TABLE locations DROP COLUMN coarse_longitude;
ALTER TABLE locations DROP COLUMN coarse_latitude;
