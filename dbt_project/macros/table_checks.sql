{#-
  What the per-table check models (int_t3_checks, int_t4_checks) share: a
  line's parts against its printed 总计, the status and detail of an
  accounting identity, and why a cell does not take part.
-#}

{#- Why a staged cell (`cells`, int_table_cells) gives no value to a check: blank, NA or text, and for a text
    cell that an OCR reading too doubtful to be a figure made so, its confidence. -#}
{% macro unreadable_cell(cells) -%}
    case {{ cells }}.value_semantic when 'EMPTY' then 'blank' when 'NA' then 'NA' else 'text' end
    || case
        when {{ cells }}.rule_id like '%.ocr_low_confidence'
            then ' (OCR confidence ' || round({{ cells }}.ocr_confidence, 2) || ', too low for a figure)'
        else ''
    end
{%- endmacro %}

{#- A line's parts (CTE `line_parts`: check_name, document_id, has_table,
    line_key, table_label, left_value, part_problems, identity,
    read_fact_keys) against the printed 总计 of that line
    (int_table_row_totals, CTE `row_totals`); a blank or missing 总计 is named
    `<line><sep>total`. -#}
{% macro line_total_sides(line_parts, row_totals, table_id, sep) -%}
    select
        {{ line_parts }}.check_name,
        {{ line_parts }}.document_id,
        {{ line_parts }}.has_table,
        {{ line_parts }}.table_label,
        {{ line_parts }}.left_value,
        case when {{ row_totals }}.total_semantic in ('NUMERIC', 'ZERO') then {{ row_totals }}.total_value end as right_value,
        nullif(concat_ws(
            ', ',
            {{ line_parts }}.part_problems,
            case
                when {{ row_totals }}.line_key is null then null
                when {{ row_totals }}.total_semantic not in ('NUMERIC', 'ZERO')
                    then {{ line_parts }}.line_key || '{{ sep }}total'
                        || ' ' || case {{ row_totals }}.total_semantic
                            when 'EMPTY' then 'blank' when 'MISSING' then 'not found' when 'NA' then 'NA' else 'text'
                        end
                        || case
                            when {{ row_totals }}.derived_from_parts
                                then ' (line total derived from the parts: ' || {{ format_number(row_totals ~ '.line_value') }} || ')'
                            else ''
                        end
            end
        ), '') as problems,
        {{ line_parts }}.identity,
        list_concat({{ line_parts }}.read_fact_keys, [{{ row_totals }}.total_fact_key]) as read_fact_keys

    from {{ line_parts }}
    left join {{ row_totals }}
        on {{ line_parts }}.document_id = {{ row_totals }}.document_id
        and {{ row_totals }}.table_id = '{{ table_id }}'
        and {{ line_parts }}.line_key = {{ row_totals }}.line_key
{%- endmacro %}

{#- Check rows (check_name, document_id, left_value, right_value, status,
    detail, read_fact_keys) of identity sides (CTE with check_name,
    document_id, has_table, table_label, left_value, right_value, problems,
    identity, read_fact_keys: the table cells the check reads). A printed
    table that does not add up FAILs as a source anomaly. -#}
{% macro identity_check_results(sides) -%}
    select
        check_name,
        document_id,
        left_value,
        right_value,
        {{ check_status('left_value', 'right_value', 'not has_table or problems is not null') }} as status,
        case
            when not has_table then 'not evaluable: no ' || table_label || ' cells staged for this report'
            when problems is not null then 'not evaluable: ' || problems
            when {{ values_agree('left_value', 'right_value') }}
                then identity || ': ' || {{ format_number('left_value') }} || ' = ' || {{ format_number('right_value') }}
            else 'source anomaly (the printed table does not add up; figures kept as printed): '
                || identity || ': ' || {{ format_number('left_value') }} || ' <> ' || {{ format_number('right_value') }}
        end as detail,
        list_filter(read_fact_keys, lambda k: k is not null) as read_fact_keys

    from {{ sides }}
{%- endmacro %}
