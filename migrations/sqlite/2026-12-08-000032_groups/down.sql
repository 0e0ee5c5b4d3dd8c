DROP TABLE group_members;
DROP TABLE partner_groups;
