{#-
  The bodies named in staging that int_agency_divisions does not hold yet, matched by the same rules: empty
  after every dbt build; after the next build stages its reports, their new names. nianbao/incremental.py
  reads it with int_agency_divisions to find the body of a new spelling (洪泽县 of a body known as 洪泽区)
  before dbt runs.
-#}

{{ agency_divisions(known=ref('int_agency_divisions')) }}
