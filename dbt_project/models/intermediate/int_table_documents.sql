{#-
  Which documents get the checks of each statutory table, one row per
  (document, table): those with cells of that table, or whose format era is
  std2019 / std2021 (their tables should be there). `era` is the 表三 era the
  checks lay out: the era Python decided for the table's cells, else the
  report's format era, else std2021.
-#}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

document_tables as (

    select
        documents.document_id,
        coalesce(report_metadata.format_era in ('std2019', 'std2021'), false) as has_std_format,
        coalesce(bool_or(table_cells.table_id = 't3'), false) as has_t3,
        coalesce(bool_or(table_cells.table_id = 't4'), false) as has_t4,
        coalesce(
            max(table_cells.era) filter (where table_cells.table_id = 't3'),
            case when report_metadata.format_era in ('std2019', 'std2021') then report_metadata.format_era end,
            'std2021'
        ) as t3_era

    from documents
    left join report_metadata
        on documents.document_id = report_metadata.document_id
    left join table_cells
        on documents.document_id = table_cells.document_id
    group by documents.document_id, report_metadata.format_era

),

final as (

    select document_id, 't3' as table_id, '表三 (t3)' as table_label, has_t3 as has_table, t3_era as era
    from document_tables
    where has_t3 or has_std_format

    union all

    select document_id, 't4' as table_id, '表四 (t4)' as table_label, has_t4 as has_table, null as era
    from document_tables
    where has_t4 or has_std_format

)

select * from final
