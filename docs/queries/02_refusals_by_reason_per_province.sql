-- How many requests were refused (不予公开), for which reason, per province and year? (表三 lines only: a
-- report that gives its refusals in prose has no reason; reports_with_reasons says how many reports speak.)
select
    province,
    report_year,
    count(denied_state_secret_rate_numerator) as reports_with_reasons,
    sum(denial_rate_numerator) as denied,
    sum(denied_state_secret_rate_numerator) as state_secret,
    sum(denied_law_forbidden_rate_numerator) as law_forbidden,
    sum(denied_three_security_rate_numerator) as three_security,
    sum(denied_third_party_rate_numerator) as third_party,
    sum(denied_internal_affairs_rate_numerator) as internal_affairs,
    sum(denied_process_info_rate_numerator) as process_info,
    sum(denied_enforcement_file_rate_numerator) as enforcement_file,
    sum(denied_inquiry_rate_numerator) as inquiry
from marts.mart_agency_year
group by province, report_year
having sum(denial_rate_numerator) is not null
order by province nulls last, report_year;
