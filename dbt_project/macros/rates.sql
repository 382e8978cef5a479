{#- The denial reasons of 表三 (三（一）…（八）), as its row keys say them (denied.<reason>). -#}
{% macro denial_reasons() -%}
    {{ return(['state_secret', 'law_forbidden', 'three_security', 'third_party', 'internal_affairs',
               'process_info', 'enforcement_file', 'inquiry']) }}
{%- endmacro %}

{#- The rates of mart_agency_year: name → (numerator, denominator), the columns of int_agency_reports. -#}
{% macro agency_rates() -%}
    {%- set rates = {
        'grant_rate': ('granted', 'responded_total'),
        'partial_rate': ('partially_granted', 'responded_total'),
        'denial_rate': ('denied', 'responded_total'),
    } -%}
    {%- for reason in denial_reasons() -%}
        {%- do rates.update({'denied_' ~ reason ~ '_rate': ('denied_' ~ reason, 'responded_total')}) -%}
    {%- endfor -%}
    {%- do rates.update({
        'unavailable_rate': ('unavailable', 'responded_total'),
        'not_processed_rate': ('not_processed', 'responded_total'),
        'carry_forward_rate': ('carried_forward', 'applications_handled'),
        'review_correction_rate': ('reconsideration_corrected', 'reconsideration_total'),
        'suit_loss_rate': ('litigation_corrected', 'litigation_total'),
    }) -%}
    {{ return(rates) }}
{%- endmacro %}

{#-
  Four columns of one rate: <name>_numerator, <name>_denominator, <name> (null unless both are stated and the
  denominator is not 0: never a division by zero) and <name>_null_reason (why <name> is null).
-#}
{% macro rate_columns(name, numerator, denominator) -%}
    {{ numerator }} as {{ name }}_numerator,
    {{ denominator }} as {{ name }}_denominator,
    case
        when {{ numerator }} is not null and {{ denominator }} is not null and {{ denominator }} <> 0
            then {{ numerator }} / {{ denominator }}
    end as {{ name }},
    case
        when {{ numerator }} is null and {{ denominator }} is null then 'numerator and denominator not stated'
        when {{ denominator }} is null then 'denominator not stated'
        when {{ numerator }} is null then 'numerator not stated'
        when {{ denominator }} = 0 then 'denominator is 0'
    end as {{ name }}_null_reason
{%- endmacro %}
