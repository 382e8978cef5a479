-- Which bodies refuse the largest share of the requests they answer (at least 5 answered)?
select
    agency,
    province,
    report_year,
    denial_rate_numerator as denied,
    denial_rate_denominator as responded_total,
    round(denial_rate, 4) as denial_rate
from marts.mart_agency_year
where denial_rate is not null
    and denial_rate_denominator >= 5
order by denial_rate desc, agency, report_year
limit 20;
