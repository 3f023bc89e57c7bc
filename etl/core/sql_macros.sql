-- Parsing helpers shared by every load: day-first dates, Vietnamese numbers. The norm_key(x) macro they use is
-- created beside them from common/text.py, the one definition of the key shared with the Python side.

-- Day first, always: 03/04/2022 is 3 April, and so are 3-4-2022, 03.04.2022 and 3/4/2022 08:00 (one rule for every
-- separator and width), with a 12-hour clock too ('08/04/2022 2:30:15 CH', Windows' Vietnamese; or PM). Year
-- first (ISO, what Excel date cells become, also 2022/04/08 and 2022-04-08T09:15:00.000Z from web exports) is told
-- apart by a '-' or '/' fifth with none before it ('10-1-2022' has one third); compact 20220408 and Excel serial
-- numbers too. Each value tries only the formats of its own family.
-- The shapes one-stop systems nearly always write ('05/02/2022 16:16:22', '05/02/2022 16:16', '05/02/2022') are
-- read by one strptime first: the general CASE below costs twice the CPU per cell (its regular expressions), a
-- million-row export has three to five date columns. What the quick read leaves NULL goes the general way, which
-- tries the same format first for these shapes, so every value reads as it did.
CREATE OR REPLACE TEMP MACRO parse_ts(x) AS coalesce(
    CASE WHEN x[3] = '/' AND x[6] = '/' THEN CASE length(x)
        WHEN 19 THEN try_strptime(x, '%d/%m/%Y %H:%M:%S')
        WHEN 16 THEN try_strptime(x, '%d/%m/%Y %H:%M')
        WHEN 10 THEN try_strptime(x, '%d/%m/%Y') END END,
    parse_ts_shapes(x));
CREATE OR REPLACE TEMP MACRO parse_ts_shapes(x) AS coalesce(CASE
    WHEN x IS NULL THEN NULL
    WHEN parse_ts_year_shaped(x) THEN parse_ts_year_first(x)
    -- An Excel serial number (a date cell without its format, or written out as text): to the nearest second,
    -- as Excel shows it — 44621.302083 is 07:15:00, not 07:14:59.9712.
    WHEN parse_ts_serial_shaped(x) THEN
        TIMESTAMP '1899-12-30' + to_seconds(CAST(round(CAST(x AS DOUBLE) * 86400) AS BIGINT))
    -- Day first with a four-digit year only: strptime's %Y also takes "22" as the year 22, and a dossier dated
    -- 03/10/0022 would silently fall out of every period. Unreadable instead, so the row is rejected and named.
    -- The 12-hour clock is tried only for what the 24-hour formats leave unread.
    WHEN regexp_matches(x, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(\D|$)') THEN coalesce(
        try_strptime(x, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M',
                         '%d-%m-%Y', '%d.%m.%Y', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d/%m/%Y %H:%M:%S.%f',
                         '%d-%m-%Y %H:%M:%S.%f', '%d.%m.%Y %H:%M:%S.%f']),
        CASE WHEN upper(right(x, 2)) IN ('AM', 'PM', 'SA', 'CH') THEN
            try_strptime(rtrim(left(x, length(x) - 2)) || ' ' || CASE upper(right(x, 2)) WHEN 'SA' THEN 'AM'
                                                                   WHEN 'CH' THEN 'PM' ELSE upper(right(x, 2)) END,
                         ['%d/%m/%Y %I:%M:%S %p', '%d/%m/%Y %I:%M %p', '%d-%m-%Y %I:%M:%S %p', '%d-%m-%Y %I:%M %p',
                          '%d.%m.%Y %I:%M:%S %p', '%d.%m.%Y %I:%M %p'])
        END,
        -- the time after a comma or a dash, or written '08h30': '05/03/2022, 08:30', '05/03/2022 - 08:30'
        CASE WHEN contains(x, ',') OR contains(x, ' - ') OR contains(x, 'h') THEN
            try_strptime(regexp_replace(x, '^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*[,-]?\s*(\d{1,2})[h:](\d{2})(:\d{2})?$',
                                        '\1/\2/\3 \4:\5\6'), ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M'])
        END)
    WHEN parse_ts_compact_shaped(x) THEN try_strptime(x, ['%Y%m%d', '%Y%m%d%H%M%S'])
    -- The time first, as some one-stop systems print it: '14:20:31 26/07/2022', '08:30 05/03/2022', '08h30 05/03/2022',
    -- '08:30 - 05/03/2022'.
    WHEN regexp_matches(x, '^\d{1,2}[:h]\d{2}') THEN
        try_strptime(regexp_replace(x, '^(\d{1,2})[:h](\d{2})(:\d{2})?\s*[,-]?\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$',
                                    '\4/\5/\6 \1:\2\3'), ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M'])
    -- Excel's 'dd-mmm-yyyy' with the English month ('01-Mar-2022', '1 Mar 2022 08:30')
    WHEN parse_ts_month_name_shaped(x) THEN try_strptime(x, ['%d-%b-%Y', '%d-%b-%Y %H:%M',
        '%d-%b-%Y %H:%M:%S', '%d %b %Y', '%d %b %Y %H:%M', '%d %b %Y %H:%M:%S'])
    -- the same with the month as Excel shows it in Vietnamese ('06-Thg3-2024', '6 thg 3 2024 08:30', '06-Tháng 3-2024')
    WHEN parse_ts_thg_shaped(x) THEN try_strptime(
        regexp_replace(nfc_normalize(x), '^(\d{1,2})[- ][Tt][Hh](?:[Gg]|áng|ÁNG)?\s*(\d{1,2})[- ](\d{4})', '\1/\2/\3'),
        ['%d/%m/%Y', '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S'])
    END,
    -- A date in words, for what the day-first and time-first shapes leave unread and for every text of no shape
    -- above. Written once, after the CASE: a macro is copied where it is used, and each copy of parse_ts_words cost
    -- a sixtieth of a second of planning per date column of every load (it stood in three branches). The
    -- conditions are looked at again only for the few values the CASE left unread.
    CASE WHEN x IS NOT NULL AND NOT parse_ts_year_shaped(x) AND NOT parse_ts_serial_shaped(x)
              AND NOT parse_ts_compact_shaped(x) AND NOT parse_ts_month_name_shaped(x) AND NOT parse_ts_thg_shaped(x)
         THEN parse_ts_words(x) END);
-- The shapes the CASE above reads without a date in words, each tested in both places.
CREATE OR REPLACE TEMP MACRO parse_ts_serial_shaped(x) AS regexp_full_match(x, '\d{5}(\.\d+)?');
CREATE OR REPLACE TEMP MACRO parse_ts_compact_shaped(x) AS regexp_full_match(x, '(19|20)\d{6}(\d{6})?');
CREATE OR REPLACE TEMP MACRO parse_ts_month_name_shaped(x) AS regexp_matches(x, '^\d{1,2}[- ][A-Za-z]{3}[- ]\d{4}');
CREATE OR REPLACE TEMP MACRO parse_ts_year_shaped(x) AS x[5] IN ('-', '/') AND x[2] NOT IN ('-', '/') AND x[3] NOT IN ('-', '/');
CREATE OR REPLACE TEMP MACRO parse_ts_thg_shaped(x) AS
    regexp_matches(nfc_normalize(x), '^\d{1,2}[- ][Tt][Hh](?:[Gg]|áng|ÁNG)?\s*\d{1,2}[- ]\d{4}');

-- A date and time written out in words, as registers typed by hand have them: '14h30 ngày 05/04/2022',
-- '8 giờ 15 phút, ngày 06/04/2022', 'Ngày 07/04/2022 lúc 09:00', '05 tháng 04 năm 2022', '05/04/2022 (14:30)'.
-- One day-first date (four-digit year, no digit touching it) is found in the text, then at most one time ('HHhMM',
-- 'HH giờ MM phút', 'HH:MM'; none: midnight); what is left may hold only the words ngày, lúc, vào, hồi and commas,
-- brackets, quotes — a second date, a range ('08:30 - 10:30'), a stray number or any other word leaves the text
-- unread. 'Ngày 05 tháng 04 năm 2022' alone is the date line over a signature, not a dossier's: unread too.
-- Tried only for what every shape above leaves unread.
CREATE OR REPLACE TEMP MACRO parse_ts_words_at(day, rest, worded) AS CASE
    WHEN regexp_replace(regexp_replace(rest, '(\d{1,2})\s*(?:h|giờ|g|:)\s*(\d{1,2})?(:\d{2})?(\s*(phút|''|’))?', ' '),
                        '(thứ\s*(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|\bt[2-7]\b|\bcn\b|(gmt|utc)?\s*\+\s*0?7(:?00)?|ngày|lúc|vào|hồi|[\s,;()''’])',
                        '', 'g') = ''
     AND NOT (worded AND NOT regexp_matches(rest, '\d') AND starts_with(trim(rest), 'ngày')) THEN try_strptime(
        day.d || '/' || day.m || '/' || day.y || ' ' || CASE
            WHEN regexp_matches(rest, '\d{1,2}\s*(h|giờ|g|:)') THEN
                regexp_extract(rest, '(\d{1,2})\s*(?:h|giờ|g|:)', 1) || ':'
                || coalesce(nullif(regexp_extract(rest, '\d{1,2}\s*(?:h|giờ|g|:)\s*(\d{1,2})', 1), ''), '00')
            ELSE '00:00' END,
        '%d/%m/%Y %H:%M')
END;
CREATE OR REPLACE TEMP MACRO parse_ts_words_in(s) AS CASE
    WHEN regexp_matches(s, '(^|\D)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(\D|$)') THEN parse_ts_words_at(
        regexp_extract(s, '(?:^|\D)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?:\D|$)', ['d', 'm', 'y']),
        regexp_replace(s, '(^|\D)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}(\D|$)', ' '), false)
    WHEN regexp_matches(s, '(^|\D)\d{1,2}\s*tháng\s*\d{1,2}\s*(năm|,)?\s*\d{4}(\D|$)') THEN parse_ts_words_at(
        regexp_extract(s, '(?:^|\D)(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm|,)?\s*(\d{4})(?:\D|$)', ['d', 'm', 'y']),
        regexp_replace(s, '(^|\D)\d{1,2}\s*tháng\s*\d{1,2}\s*(năm|,)?\s*\d{4}(\D|$)', ' '), true)
END;
CREATE OR REPLACE TEMP MACRO parse_ts_words(x) AS parse_ts_words_in(lower(nfc_normalize(x)));

-- A time read with the zone regexp_extract found after it ('GMT+7': z, sign, h, m), turned into Vietnam's (UTC+7):
-- 'GMT' or 'UTC' alone is UTC; without a zone (z empty), the time as written.
CREATE OR REPLACE TEMP MACRO parse_ts_zone(ts, zone) AS CASE
    WHEN zone.z = '' THEN ts
    ELSE ts + to_minutes(420 - CASE zone.sign WHEN '-' THEN -1 ELSE 1 END
                               * (coalesce(try_cast(nullif(zone.h, '') AS INT), 0) * 60
                                  + coalesce(try_cast(nullif(zone.m, '') AS INT), 0)))
END;

-- Google Forms' «Dấu thời gian» in its English settings: '2022/10/03 9:15:02 AM GMT+7' (a 12-hour clock, the zone
-- written 'GMT+7', 'GMT+07:00' or 'UTC-5'), also 'SA'/'CH' and without a zone; NULL for anything else. Tried only
-- for what the common shapes leave unread (coalesce reads its next argument for those rows alone): a regex test of
-- every date cell of a million-row workbook cost ~0,4 s of CPU.
CREATE OR REPLACE TEMP MACRO parse_ts_clock12(s) AS parse_ts_zone(try_strptime(
    regexp_replace(regexp_replace(upper(regexp_replace(s, '(?i)\s*(GMT|UTC)\s*([+-]\d{1,2}(:?\d{2})?)?\s*$', '')),
                                  '\sSA$', ' AM'), '\sCH$', ' PM'),
    ['%Y/%m/%d %I:%M:%S %p', '%Y/%m/%d %I:%M %p', '%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d %I:%M %p',
     '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M']),
    regexp_extract(s, '(?i)(GMT|UTC)\s*(([+-])(\d{1,2})(:?(\d{2}))?)?\s*$', ['z', 'o', 'sign', 'h', 'c', 'm']));

-- Year first: with a UTC offset ('+07:00', '+0700', '+07' as PostgreSQL writes it, or Z) the time is turned into Vietnam's own (UTC+7, no daylight saving), the
-- time every other date of an export is written in (an offset comes after the seconds: the 19 characters of the
-- common shape are not looked at twice). The common shape is the first format tried: the rarer ones cost only
-- the values that need them.
CREATE OR REPLACE TEMP MACRO parse_ts_year_first(s) AS coalesce(CASE
    WHEN length(s) > 19 AND regexp_matches(s, '(Z|[+-]((0\d|1[0-3])(:?[0-5]\d)?|14(:?00)?))$') THEN
        timezone('Asia/Ho_Chi_Minh', try_strptime(regexp_replace(replace(replace(s, '/', '-'), 'T', ' '), 'Z$', '+00:00'),
                 ['%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z', '%Y-%m-%d %H:%M%z']))
    ELSE try_strptime(s, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d', '%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S.%f',
                          '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%M',
                          '%Y/%m/%d %H:%M:%S', '%Y/%m/%d', '%Y/%m/%d %H:%M', '%Y/%m/%d %H:%M:%S.%f'])
    END, parse_ts_clock12(s));   -- one copy of the 12-hour reading for both shapes (planning time, as above)

-- A time written in UTC without saying so (KoboToolbox's _submission_time): read, then turned into Vietnam's time
-- (UTC+7), so an answer sent at 17:30 UTC on 30 June is dated 1 July. A value that does carry an offset is
-- already turned by parse_ts.
CREATE OR REPLACE TEMP MACRO parse_ts_utc(x) AS CASE
    WHEN length(x) > 19 AND regexp_matches(x, '(Z|[+-]((0\d|1[0-3])(:?[0-5]\d)?|14(:?00)?))$') THEN parse_ts(x)
    ELSE timezone('Asia/Ho_Chi_Minh', timezone('UTC', parse_ts(x)))
END;

-- 1.000.000 and 1,000,000 are a million (also written "1.000.000 đ", "30.000 đồng"; a count "2 lần"); 12,5 and 12.5 are
-- twelve and a half.
CREATE OR REPLACE TEMP MACRO parse_num(x) AS (
    -- words after a slash say what the amount is for ('50.000 đ/hồ sơ'; '45/50' stays unread); 'k', 'nghìn', 'triệu'
    -- multiply ('100k', '1,5 triệu'): the number before them is read by the rules below
    WITH t AS (SELECT regexp_replace(regexp_replace(x, '/\s*\p{L}.*$', ''), '[\s]|đồng|Đồng|ĐỒNG|VNĐ|VND|vnđ|đ|Đ|lần|Lần', '', 'g') AS w),
    s AS (SELECT CASE WHEN f = '' THEN w ELSE left(w, length(w) - length(f)) END AS v,
                 CASE lower(rtrim(f, '.')) WHEN '' THEN 1 WHEN 'triệu' THEN 1000000 WHEN 'tr' THEN 1000000
                                           ELSE 1000 END AS scale
          FROM (SELECT w, regexp_extract(w, '(?i)(?:\d)((k|nghìn|ngàn|triệu|tr)\.?)$', 1) AS f FROM t))
    -- a number grouped in thousands never starts with a lone 0: '0,865' and '0.865' are fractions (probe 36: a
    -- satisfaction rate 0,865 was read as 865 and its unit's line rejected)
    SELECT scale * CASE
        WHEN x IS NULL THEN NULL
        WHEN regexp_full_match(v, '-?[1-9]\d{0,2}(\.\d{3})+') THEN try_cast(replace(v, '.', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?[1-9]\d{0,2}(,\d{3})+') THEN try_cast(replace(v, ',', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?[1-9]\d{0,2}(\.\d{3})+,\d+') THEN try_cast(replace(replace(v, '.', ''), ',', '.') AS DOUBLE)
        WHEN regexp_full_match(v, '-?[1-9]\d{0,2}(,\d{3})+\.\d+') THEN try_cast(replace(v, ',', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?\d+,\d+') THEN try_cast(replace(v, ',', '.') AS DOUBLE)
        ELSE try_cast(v AS DOUBLE)
    END FROM s
);

-- A number on a bounded scale (a score of at most 100 points): one group of three digits after a dot or a comma is
-- the decimals when the thousands it would otherwise be pass the bound — the portal's «14,625», a numeric cell 14.625
-- (probe 47: read as 14 625 and the unit's line rejected, «không phải số từ 0 đến 100»).
CREATE OR REPLACE TEMP MACRO parse_bounded(x, upper) AS CASE
    WHEN parse_num(x) > upper AND regexp_full_match(trim(x), '-?\d{1,3}[.,]\d{3}')
        THEN try_cast(replace(trim(x), ',', '.') AS DOUBLE)
    ELSE parse_num(x) END;

-- The one unit-resolution rule. A unit goes by its code, its name and each alias (unit_keys, rebuilt whenever a
-- unit list is loaded); a text names a unit when its key belongs to exactly one unit. "Phường 1" is a ward of
-- many districts: a row filed under it stays unmatched and is listed for a person to map (an alias), rather
-- than handed to one of those wards at random. Dossiers, surveys and reference files all resolve through this.
CREATE OR REPLACE TEMP VIEW unit_key_codes AS
    SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key HAVING count(DISTINCT unit_code) = 1;

-- unit_short_key(k), the short form of a unit name's key ('ubnd q3' of 'ubnd quan 3'), is common/text.py's
-- (etl/core/database.py creates it before this file): the dashboard writes the same rule out.

-- A name as written that is a key (of one unit, or of several: then it names none) is looked up as written; any
-- other name by its short form among the short forms of every key, which unit_keys holds apart, prefixed '~'
-- (etl/references/units.py): the two meet whichever side abbreviates, a short form two units share names neither,
-- and a name several units share is never settled by its short form.
CREATE OR REPLACE TEMP MACRO unit_code_of(name) AS CASE
    WHEN EXISTS (SELECT 1 FROM unit_keys WHERE unit_key = norm_key(name))
        THEN (SELECT unit_code FROM unit_key_codes WHERE unit_key = norm_key(name))
    ELSE (SELECT unit_code FROM unit_key_codes WHERE unit_key = '~' || unit_short_key(norm_key(name))) END;

-- Free text a person typed where a questionnaire asks for a choice or a unit («Khác: … gọi lại cho tôi 0912 888 777»,
-- «tôi ở 12 Lê Lợi, ĐT 0909 555 444», an e-mail): kept only with its phone, ID-card and e-mail numbers hidden. A run
-- of nine digits or more (up to three spaces, dots, dashes or brackets between two of them: «(028) 3829 1234», «0912 -
-- 888 - 777») is one: a phone number or a CMND/CCCD, never an
-- answer, a unit's name or a choice (probe 32 found such numbers stored in the answers and the rejected lines).
CREATE OR REPLACE TEMP MACRO personal_masked(x) AS regexp_replace(
    regexp_replace(x, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[đã ẩn]', 'g'),
    '\+?\(?\d(?:[ .()–-]{0,3}\d){8,}', '[đã ẩn]', 'g');

-- A cell holding nothing but a person's name («Nguyễn Văn Tám», «trần thị bé»): two to four words, the first one of
-- the common Vietnamese family names, no digit or punctuation, no word of a unit's name. A respondent types it into
-- the «Khác» box of a form's unit question (probe 42: it was kept as the unit, and in the list of unknown units). Only
-- a text that names no unit of the list is taken for one (etl/surveys/responses.py): «Nguyễn Cư Trinh» is a ward.
CREATE OR REPLACE TEMP MACRO looks_like_person_name(x) AS
    regexp_full_match(norm_key(x), '(?:nguyen|tran|le|pham|hoang|huynh|phan|vu|vo|dang|bui|do|ho|ngo|duong|ly|dinh'
                                    || '|truong|dao|doan|lam|mai|trinh|luong|cao|ta|ha|luu|chau|thai|quach|to|la|tang'
                                    || '|kieu|vuong|nong|lo|giang|hua|khuc|mac|ong|tieu|thach|danh|kim|son)'
                                    || '(?: [a-z]+){1,3}')
    AND regexp_full_match(trim(x), '[\p{L} ]+')
    AND NOT regexp_matches(norm_key(x), '(?:^| )(?:ubnd|uy ban|phuong|xa|thi tran|quan|huyen|thi xa|thanh pho|so|ban'
                                         || '|phong|trung tam|chi cuc|cuc|van phong|bo phan|chi nhanh|cong an|kho bac'
                                         || '|bao hiem|doi|tram|benh vien|truong)(?: |$)');
