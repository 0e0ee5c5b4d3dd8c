-- Back to one text: the entries' words joined.
UPDATE services SET required_documents = (SELECT string_agg(e->>'document', '; ') FROM json_array_elements(services.required_documents::json) AS e) WHERE required_documents IS NOT NULL;
UPDATE locations SET accessibility = (SELECT string_agg(coalesce(e->>'description', e->>'details'), '; ') FROM json_array_elements(locations.accessibility::json) AS e) WHERE accessibility IS NOT NULL;
