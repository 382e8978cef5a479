{#- The provenance columns every fact mart carries after its own key columns; one list, so the marts agree. -#}

{#- fct_fee: prose figures only. -#}
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

{#- fct_application, fct_appeal, fct_proactive_disclosure: prose and table figures (int_fact_figures). -#}
{% macro figure_provenance_columns() %}
        value,
        value_raw,
        value_semantic,
        unit,
        unit_stated,
        approximate,
        source_kind,
        era,
        mapping_confidence,
        rule_id,
        rule_rank,
        section_key,
        span_start,
        span_end,
        orig_span_start,
        orig_span_end,
        sentence,
        table_id,
        row_key,
        col_key,
        row_label,
        col_label,
        page,
        grid_index,
        grid_row,
        grid_col,
        table_source,
        reading,
        ocr_confidence,
        ocr_first_reading,
        is_chosen,
        is_conflict,
        parser_version
{%- endmacro %}
