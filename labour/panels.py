def person_panel(request, person):
    return ""
