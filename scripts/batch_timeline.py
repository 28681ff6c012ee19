import sys, collections, statistics as st
ev = collections.defaultdict(dict)  # (what,sub,batch) -> first time ms
rows=[]
for line in open(sys.argv[1]):
    t,w,s,b=line.split(); rows.append((int(t),w,int(s),int(b)))
rows.sort(); t0=rows[0][0]
E={}
for t,w,s,b in rows:
    E.setdefault((w,s,b),(t-t0)/1e6)
batches=sorted({b for (w,s,b) in E if w=='close_end'})
batches=[b for b in batches if 0<b<10**6][2:-2]   # drop warm-up and tail
def g(w,s,b): return E.get((w,s,b))
ph=collections.defaultdict(list)
for k in batches:
    for h in (0,1):
        m0=g('marker',h,k-1); cs=g('close_start',h,k-1); ce=g('close_end',h,k-1); md=g('marker_done',h,k-1)
        ow=g('out_wm',h,k); iw=g('in_wm',h,k); tw=g('tail_wm',h,k); m1=g('marker',h,k)
        if None in (m0,cs,ce,md,ow,iw,tw,m1): continue
        ph['cycle marker(k-1)->marker(k)'].append(m1-m0)
        ph['a marker(k-1)->close start'].append(cs-m0)
        ph['b close(k-1) (model+state+scores)'].append(ce-cs)
        ph['c close end->marker done (release k inputs)'].append(md-ce)
        ph['d marker done->out_wm(k)'].append(ow-md)
        ph['d1  of which waiting in_wm(k) (in_wm after marker_done)'].append(max(0,iw-md))
        ph['e out_wm(k)->tail_wm(k) (other head+net)'].append(tw-ow)
        ph['f tail_wm(k)->marker(k) at head'].append(m1-tw)
    s=g('seq_last',0,k); 
    if s is not None and g('close_end',0,k) is not None:
        ph['seq_last(k)->close_end(k) max heads'].append(max(g('close_end',h,k) for h in (0,1))-s)
    wg=g('wm_gen',0,k)
    if wg is not None:
        for h in (0,1):
            if g('in_wm',h,k) is not None: ph['wm_gen(k)->in_wm(k) at head'].append(g('in_wm',h,k)-wg)
cps=sorted({b for (w,s,b) in E if w=='snap_start'})
for c in cps:
    for h in (0,1):
        a=g('snap_start',h,c); z=g('sentinel',h,c); e=g('snap_end',h,c)
        if None not in (a,z,e): ph['snapshot: wait for sentinel'].append(z-a); ph['snapshot: write log'].append(e-z)
print("batches", len(batches), "checkpoints", len(cps))
print("%-58s %7s %7s %7s %7s %9s"%("phase (ms, per head per batch)","p50","mean","p90","max","sum"))
for k,v in ph.items():
    v=sorted(v); print("%-58s %7.1f %7.1f %7.1f %7.1f %9.0f"%(k,st.median(v),st.mean(v),v[int(0.9*(len(v)-1))],v[-1],sum(v)))
tot=(rows[-1][0]-t0)/1e6
print("timeline span ms %.0f"%tot)
sub=collections.defaultdict(list)
for (w,s,b),t in E.items():
    if w=='close_start' and ('close_end',s,b) in E and b in batches:
        seq=['close_start','close_read','close_scored','close_updated','close_written','close_end']
        if all((x,s,b) in E for x in seq):
            for x,y in zip(seq,seq[1:]): sub[x+'->'+y].append(E[(y,s,b)]-E[(x,s,b)])
for k,v in sub.items(): print("  %-44s p50 %6.1f mean %6.1f"%(k,st.median(v),st.mean(v)))
