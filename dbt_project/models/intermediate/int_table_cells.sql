{#-
  Every staged statutory-table cell joined to its conformed measure (seed
  table_crosswalk), with what the table models share:

  era             the cell's own era, else its table's (any cell of the same
                  table in the document), else the report's std format era
  line_key        the printed line the cell's 总计 belongs to: the 表三 row,
                  the 表四 block (review / direct / after_review), the 表二 row
  is_line_total   the cell is its line's 总计 (表三 col total, 表四 <block>.total)
  identity_value  the cell as the identity checks and derived totals read it:
                  the number when NUMERIC / ZERO; 0 for a blank (EMPTY) part
                  cell when another part cell of the same line holds a number
                  (a blank among filled cells means none); null otherwise (NA,
                  TEXT, a blank 总计, a line whose parts are all blank)
  reading         how the cell's text was read: text_layer (the file's own
                  text: PDF text layer, HTML, DOCX, plain text), ocr (OCR of a
                  page image), ocr_reread (an identity-guided second OCR
                  reading replaced the first, kept in ocr_first_reading)
-#}

{#- table_cells has two readers (the eras, the lines): inlined, not materialized. A materialized CTE writes every
    cell with all its columns once more; inlined, each reader takes only the columns it needs from the scan. -#}
with

table_cells as not materialized (

    select
        *,
        case table_id
            when 't4' then split_part(col_key, '.', 1)
            else row_key
        end as line_key,
        case table_id
            when 't3' then col_key = 'total'
            when 't4' then split_part(col_key, '.', 2) = 'total'
            else false
        end as is_line_total

    from {{ ref('stg_table_cells') }}

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

table_crosswalk as (

    select * from {{ ref('table_crosswalk') }}

),

table_eras as (

    select
        document_id,
        table_id,
        max(era) as table_era

    from table_cells
    group by document_id, table_id

),

cells_with_era as (

    select
        table_cells.*,
        coalesce(
            table_cells.era,
            table_eras.table_era,
            case when report_metadata.format_era in ('std2019', 'std2021') then report_metadata.format_era end
        ) as resolved_era

    from table_cells
    inner join table_eras
        on table_cells.document_id = table_eras.document_id
        and table_cells.table_id = table_eras.table_id
    left join report_metadata
        on table_cells.document_id = report_metadata.document_id

),

crosswalk_lookup as (

    -- The crosswalk row a cell's keys map to in the cell's era (lookup_era), and, for a cell whose era is
    -- unknown (lookup_era null), the mapping its keys have in either era: the same measure wherever both eras
    -- have the key; the latest era first (std2021), so the choice is deterministic. A row of the small seed
    -- per lookup, so the cells join it without a window over every cell.
    select table_crosswalk.era as lookup_era, table_crosswalk.*
    from table_crosswalk

    union all

    select null as lookup_era, table_crosswalk.*
    from table_crosswalk
    qualify row_number() over (partition by table_id, row_key, col_key order by era desc) = 1

),

mapped_cells as (

    select
        cells_with_era.*,
        crosswalk_lookup.era as crosswalk_era,
        crosswalk_lookup.position,
        crosswalk_lookup.conformed_measure,
        crosswalk_lookup.reason,
        crosswalk_lookup.fact_table,
        crosswalk_lookup.mapping_confidence,
        crosswalk_lookup.gloss_zh

    from cells_with_era
    left join crosswalk_lookup
        on cells_with_era.table_id = crosswalk_lookup.table_id
        and cells_with_era.row_key = crosswalk_lookup.row_key
        and (crosswalk_lookup.col_key = cells_with_era.col_key or crosswalk_lookup.col_key = '*')
        and cells_with_era.resolved_era is not distinct from crosswalk_lookup.lookup_era

),

lines as (

    -- an aggregate joined back rather than a window over every cell: it spills to disk under a memory limit
    select
        document_id,
        table_id,
        line_key,
        coalesce(bool_or(value_semantic in ('NUMERIC', 'ZERO') and not is_line_total), false) as line_parts_filled

    from table_cells
    group by document_id, table_id, line_key

),

cells_in_lines as (

    select
        mapped_cells.*,
        lines.line_parts_filled

    from mapped_cells
    inner join lines
        on mapped_cells.document_id = lines.document_id
        and mapped_cells.table_id = lines.table_id
        and mapped_cells.line_key = lines.line_key

),

final as (

    select
        document_id,
        table_id,
        row_key,
        col_key,
        'table:' || table_id || '/' || row_key || '/' || col_key as fact_key,
        resolved_era as era,
        conformed_measure,
        reason,
        fact_table,
        mapping_confidence,
        gloss_zh,
        position,
        case when table_id = 't3' then col_key end as applicant_type,
        case when table_id = 't4' then split_part(col_key, '.', 1) end as appeal_block,
        case when table_id = 't4' then split_part(col_key, '.', 2) end as appeal_result,
        case when table_id = 't2' then row_key end as item,
        line_key,
        is_line_total,
        line_parts_filled,
        row_label,
        col_label,
        value_raw,
        value_num,
        value_semantic,
        case
            when value_semantic in ('NUMERIC', 'ZERO') then value_num
            when value_semantic = 'EMPTY' and not is_line_total and line_parts_filled then 0.0
        end as identity_value,
        unit,
        unit_stated,
        source,
        'table:' || table_id || '/' || row_key || '/' || col_key || '@' || source as provenance,
        grid_index,
        grid_row,
        grid_col,
        page,
        span_start,
        span_end,
        rule_id,
        case
            when ocr_reread then 'ocr_reread'
            when ocr_confidence is not null then 'ocr'
            else 'text_layer'
        end as reading,
        ocr_confidence,
        ocr_first_reading,
        parser_version

    from cells_in_lines

)

select * from final {{ in_build_batch() }}
