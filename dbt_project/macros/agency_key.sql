{#- Surrogate key of dim_agency: md5 of `agency|province` (null province as empty). -#}
{% macro agency_key(agency, province) -%}
    md5(coalesce({{ agency }}, '') || '|' || coalesce({{ province }}, ''))
{%- endmacro %}
