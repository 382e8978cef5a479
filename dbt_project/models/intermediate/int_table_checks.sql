{#-
  The checks of the statutory tables, one row per (check, document), in the
  shape of check_results: the union of one model per table's checks
  (int_t3_checks, int_t4_checks) and the table-vs-prose comparisons
  (int_table_prose_checks), and those of the pre-2019 statistics tables
  (int_e0_checks: <table>_identity_<row>_<col>, e0_table_vs_prose_<measure>);
  int_table_documents says who gets the 表三 / 表四 ones. A document gets every check of a table when it has
  cells of that table or its format era is std2019 / std2021 (its tables
  should be there); with no cells the checks are NOT_EVALUABLE, never skipped.

  t3_column_identity_<col>  一 + 二 = （七）总计 + 四, for each of the 7 columns
  t3_outcome_total_<col>    （七） = （一）+（二）+ Σ（三）1–8 + Σ（四）1–3
                            + Σ（五）1–5 + Σ（六）(2021: 1–3; 2019: one row)
  t3_row_total_<row_key>    总计 = the six applicant columns, every row of the era
  t4_identity_<block>       维持 + 纠正 + 其他 + 尚未审结 = 总计 (review / direct
                            / after_review)
  table_vs_prose_<measure>  the prose figure (int_prose_measures) equals the
                            table figure (int_table_measures); for the lump
                            granted_or_partial, table granted + partially_granted

  How cells take part (int_table_cells.identity_value): NUMERIC / ZERO as
  printed; a blank part cell (applicant column, 表四 result) counts 0 when
  another part cell of its line holds a number; NA, TEXT, a missing cell or a
  wholly blank line make the check NOT_EVALUABLE. A 总计 column value is the
  line total of int_table_row_totals (printed, or derived from the parts when
  blank) in the column identity and outcome total; the row-total and 表四
  identities compare with the printed 总计 only (a blank one: NOT_EVALUABLE).
  A printed table that does not add up FAILs as a source anomaly: its figures
  stay as printed.
-#}

with

t3_checks as (

    select * from {{ ref('int_t3_checks') }} {{ in_build_scope() }}

),

t4_checks as (

    select * from {{ ref('int_t4_checks') }} {{ in_build_scope() }}

),

table_prose_checks as (

    select * from {{ ref('int_table_prose_checks') }} {{ in_build_scope() }}

),

e0_checks as (

    select * from {{ ref('int_e0_checks') }} {{ in_build_scope() }}

),

final as (

    select * from t3_checks
    union all
    select * from t4_checks
    union all
    select * from table_prose_checks
    union all
    select * from e0_checks

)

select * from final
