{#-
  One row per document, one column triple per glossary measure: the figure
  the summary uses, where it came from and whether the prose states it with
  different values. Shared by report_summary and check_results.

  The figure is the table's where a table of the report gives it
  (int_table_measures; source `table:<table>/<row_key>/<col_key>@<where>`,
  sums joined with ' + '), else the chosen prose figure (int_prose_measures;
  source `prose:<rule_id>@<span_start>-<span_end>`, with `~approx` appended
  when the text hedges the number: 5500余条, 近300个; a figure worked out
  from two stated ones has a `derived.` rule_id). Table-vs-prose
  disagreements are check rows (check_results table_vs_prose_<measure>);
  <measure>_conflict stays prose-vs-prose.
-#}

{%- set measures = glossary_measures() %}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

table_measures as (

    select * from (select * from {{ ref('int_table_measures') }} {{ in_build_scope() }})
    where value is not null

),

prose_figures as (

    select
        document_id,
        {%- for measure in measures %}
        max(value) filter (where measure = '{{ measure }}') as {{ measure }},
        max('prose:' || rule_id || '@' || span_start || '-' || span_end
            || case when approximate then '~approx' else '' end)
            filter (where measure = '{{ measure }}') as {{ measure }}_source,
        bool_or(is_conflict) filter (where measure = '{{ measure }}') as {{ measure }}_conflict,
        {%- endfor %}
        count(*) filter (where is_conflict) as conflict_count

    from prose_measures
    group by document_id

),

table_figures as (

    select
        document_id,
        {%- for measure in measures %}
        max(value) filter (where measure = '{{ measure }}') as {{ measure }},
        max(provenance) filter (where measure = '{{ measure }}') as {{ measure }}_source{{ ',' if not loop.last }}
        {%- endfor %}

    from table_measures
    group by document_id

),

final as (

    select
        documents.document_id,
        {%- for measure in measures %}
        coalesce(table_figures.{{ measure }}, prose_figures.{{ measure }}) as {{ measure }},
        case
            when table_figures.{{ measure }} is not null then table_figures.{{ measure }}_source
            else prose_figures.{{ measure }}_source
        end as {{ measure }}_source,
        coalesce(prose_figures.{{ measure }}_conflict, false) as {{ measure }}_conflict,
        {%- endfor %}
        coalesce(prose_figures.conflict_count, 0) as conflict_count

    from documents
    left join prose_figures
        on documents.document_id = prose_figures.document_id
    left join table_figures
        on documents.document_id = table_figures.document_id

)

select * from final
