{#-
  The checks of 表三, one row per (check, document), in the shape of
  check_results (see int_table_checks for which documents get them and how
  cells take part), from their sides in int_t3_check_parts.

  t3_column_identity_<col>  一 + 二 = （七）总计 + 四, for each of the 7 columns
  t3_outcome_total_<col>    （七） = （一）+（二）+ Σ（三）1–8 + Σ（四）1–3
                            + Σ（五）1–5 + Σ（六）(2021: 1–3; 2019: one row)
  t3_row_total_<row_key>    总计 = the six applicant columns, every row of the era
-#}

with

check_parts as (

    select * from {{ ref('int_t3_check_parts') }} {{ in_build_scope() }}

),

row_totals as (

    select * from {{ ref('int_table_row_totals') }} {{ in_build_scope() }}

),

t3_column_identity_sides as (

    select
        't3_column_identity_' || check_key as check_name,
        document_id,
        has_table,
        '表三 (t3)' as table_label,
        left_value,
        right_value,
        problems,
        '一 new + 二 carried_over = （七） total + 四 carried_forward [' || check_key || ']' as identity,
        read_fact_keys

    from check_parts
    where check_kind = 'column_identity'

),

t3_outcome_total_sides as (

    select
        't3_outcome_total_' || check_key as check_name,
        document_id,
        has_table,
        '表三 (t3)' as table_label,
        left_value,
        right_value,
        problems,
        'granted + partial + Σ denied.1–8 + Σ unavailable.1–3 + Σ not_processed.1–5 + '
        || case era when 'std2019' then 'other (2019: one row)' else 'Σ other.1–3' end
        || ' = （七） total [' || check_key || ']' as identity,
        read_fact_keys

    from check_parts
    where check_kind = 'outcome_total'

),

t3_row_parts as (

    select
        't3_row_total_' || check_key as check_name,
        document_id,
        has_table,
        check_key as line_key,
        '表三 (t3)' as table_label,
        left_value,
        problems as part_problems,
        '{{ t3_applicant_columns() | join(" + ") }} = total [' || check_key || ']' as identity,
        read_fact_keys

    from check_parts
    where check_kind = 'row_total'

),

line_total_sides as (

    {{ line_total_sides('t3_row_parts', 'row_totals', 't3', '/') }}

),

identity_sides as (

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from t3_column_identity_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from t3_outcome_total_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from line_total_sides

),

final as (

    {{ identity_check_results('identity_sides') }}

)

select * from final {{ in_build_batch() }}
