-- A location a reader may not see (a confidential one outside its organization, a
-- partners-only one in the public directory) is measured, for that reader, from this
-- point and never from its coordinates (`directory::nearby::coarse_point`): the centre
-- of its cell in a grid of 0.1 degree of latitude by 0.15 of longitude, fixed when the
-- location is saved. The locations saved before are placed by the same grid here.
ALTER TABLE locations ADD COLUMN coarse_latitude DOUBLE PRECISION, ADD COLUMN coarse_longitude DOUBLE PRECISION;
UPDATE locations
SET coarse_latitude = (floor(latitude / 0.1::float8) + 0.5) * 0.1::float8,
    coarse_longitude = (floor(longitude / 0.15::float8) + 0.5) * 0.15::float8
WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
