-- Phone numbers are kept in E.164 (+821012345678) from now on. Rows written before were
-- Korean national forms the old validator let through (010-1234-5678, 02-123-4567,
-- 1588-1234, with or without hyphens; its pattern is below); for those E.164 is "+82"
-- and the digits without the trunk 0. Anything else is left as it is (the code still
-- reads both forms).
UPDATE users SET phone_number = '+82' || ltrim(replace(phone_number, '-', ''), '0')
WHERE phone_number ~ '^(0(2|[3-6][1-5]|1[016789]|70|50[2-8])-?[0-9]{3,4}-?[0-9]{4}|1[5-9][0-9]{2}-?[0-9]{4})$';
UPDATE items SET phone_number = '+82' || ltrim(replace(phone_number, '-', ''), '0')
WHERE phone_number ~ '^(0(2|[3-6][1-5]|1[016789]|70|50[2-8])-?[0-9]{3,4}-?[0-9]{4}|1[5-9][0-9]{2}-?[0-9]{4})$';
