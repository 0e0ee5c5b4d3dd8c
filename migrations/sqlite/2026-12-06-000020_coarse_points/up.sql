-- A location a reader may not see (a confidential one outside its organization, a
-- partners-only one in the public directory) is measured, for that reader, from this
-- point and never from its coordinates (`directory::nearby::coarse_point`): the centre
-- of its cell in a grid of 0.1 degree of latitude by 0.15 of longitude, fixed when the
-- location is saved. The locations saved before are placed by the same grid here
-- (SQLite's floor, by truncating towards zero and stepping down below it).
ALTER TABLE locations ADD COLUMN coarse_latitude REAL;
ALTER TABLE locations ADD COLUMN coarse_longitude REAL;
UPDATE locations
SET coarse_latitude = (CAST(latitude / 0.1 AS INTEGER) - (latitude / 0.1 < CAST(latitude / 0.1 AS INTEGER)) + 0.5) * 0.1,
    coarse_longitude = (CAST(longitude / 0.15 AS INTEGER) - (longitude / 0.15 < CAST(longitude / 0.15 AS INTEGER)) + 0.5) * 0.15
WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
