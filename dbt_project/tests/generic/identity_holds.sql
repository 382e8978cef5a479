{#-
  An accounting identity holds: wherever both sides are known they are equal
  (within `tolerance`, by default the checks' own, macro check_tolerance). Returns the offending rows. Applied to check_results
  with severity warn: a report that does not add up is a source anomaly to
  look at, not a pipeline failure. Rows with an unknown side (NOT_EVALUABLE)
  are not failures of the identity and are not returned.
-#}
{% test identity_holds(model, left_column='left_value', right_column='right_value', tolerance=none) %}

select *
from {{ model }}
where {{ left_column }} is not null
    and {{ right_column }} is not null
    and abs({{ left_column }} - {{ right_column }}) > {{ tolerance if tolerance is not none else check_tolerance() }}

{% endtest %}
