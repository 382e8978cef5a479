{#-
  check_results is internally consistent (a pipeline bug if not, so severity
  error): PASS means both sides known and equal (or, for prose_consistency,
  the measure not stated at all); FAIL means both known and different;
  NOT_EVALUABLE means a side is unknown.
-#}

with

check_results as (

    select * from {{ get_where_subquery(ref('check_results')) }}  {#- the batch's rows in an incremental run #}

),

disagreeing_rows as (

    select *
    from check_results
    where
        (
            status = 'PASS'
            and not (
                (left_value is not null and right_value is not null and {{ values_agree('left_value', 'right_value') }})
                or (check_name like 'prose_consistency_%' and left_value is null and right_value is null)
            )
        )
        or (
            status = 'FAIL'
            and not (left_value is not null and right_value is not null and not {{ values_agree('left_value', 'right_value') }})
        )
        or (
            status = 'NOT_EVALUABLE'
            and left_value is not null and right_value is not null
        )

)

select * from disagreeing_rows
