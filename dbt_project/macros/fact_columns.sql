{#- The provenance columns every fact mart carries after its own key columns; one list, so the marts agree. -#}
{% macro fact_provenance_columns() %}
        value,
        unit,
        approximate,
        source_kind,
        rule_id,
        rule_rank,
        section_key,
        span_start,
        span_end,
        orig_span_start,
        orig_span_end,
        sentence,
        is_chosen,
        is_conflict,
        parser_version
{%- endmacro %}
