-- Phone numbers are kept in E.164 (+821012345678) from now on. Rows written before were
-- Korean national forms the old validator let through (010-1234-5678, 02-123-4567,
-- 1588-1234, with or without hyphens); for those E.164 is "+82" and the digits without
-- the trunk 0. Anything else is left as it is (the code still reads both forms).
UPDATE users SET phone_number = '+82' || ltrim(replace(phone_number, '-', ''), '0')
WHERE replace(phone_number, '-', '') NOT GLOB '*[^0-9]*'
  AND length(replace(phone_number, '-', '')) BETWEEN 8 AND 12
  AND ((phone_number GLOB '0*' AND phone_number NOT GLOB '00*')
       OR (phone_number GLOB '1*' AND length(replace(phone_number, '-', '')) = 8));
UPDATE items SET phone_number = '+82' || ltrim(replace(phone_number, '-', ''), '0')
WHERE replace(phone_number, '-', '') NOT GLOB '*[^0-9]*'
  AND length(replace(phone_number, '-', '')) BETWEEN 8 AND 12
  AND ((phone_number GLOB '0*' AND phone_number NOT GLOB '00*')
       OR (phone_number GLOB '1*' AND length(replace(phone_number, '-', '')) = 8));
