import os, time, random, statistics
os.environ["DATABASE_URL"]=os.environ.get("URL","postgres://postgres@127.0.0.1:5432/wt_identity_bench")
os.environ.setdefault("SECRET_KEY","x"); os.environ.setdefault("DJANGO_SETTINGS_MODULE","waystation.settings")
import django; django.setup()
from identity.check import live_check, candidate_ids, current_model
from identity.keys import PERSON_FIELDS, prepare_record, record_of
from people.models import Person
ids=list(Person.objects.values_list("pk",flat=True))
rng=random.Random(3); sample=rng.sample(ids,200)
rows={r["id"]:r for r in Person.objects.filter(pk__in=sample).values(*PERSON_FIELDS)}
m=current_model()
ts=[]; worst=(0,0)
for pk in sample:
    t=time.perf_counter(); live_check(rows[pk], exclude={pk}, model=m); d=time.perf_counter()-t
    ts.append(d*1000)
    if d>worst[0]: worst=(d,pk)
ts.sort(); print("median",statistics.median(ts),"p95",ts[int(.95*len(ts))])
pk=worst[1]; p=prepare_record(record_of(rows[pk],"new"))
t=time.perf_counter(); c=candidate_ids(p); print("worst",worst[0],"cands",len(c),"sql",time.perf_counter()-t, rows[pk])
