-- Back to one text: the entries' words joined.
UPDATE services SET required_documents = (SELECT group_concat(json_extract(value, '$.document'), '; ') FROM json_each(services.required_documents)) WHERE required_documents IS NOT NULL;
UPDATE locations SET accessibility = (SELECT group_concat(coalesce(json_extract(value, '$.description'), json_extract(value, '$.details')), '; ') FROM json_each(locations.accessibility)) WHERE accessibility IS NOT NULL;
