-- A service's required documents and a location's accessibility become lists of HSDS
-- objects, kept as JSON arrays (`api/src/directory/details.rs`); each single text of
-- before becomes a list of one, whose id is made from the row and the text when read.
UPDATE services SET required_documents = json_build_array(json_build_object('document', required_documents))::text WHERE required_documents IS NOT NULL;
UPDATE locations SET accessibility = json_build_array(json_build_object('description', accessibility))::text WHERE accessibility IS NOT NULL;
