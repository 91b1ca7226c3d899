<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BatchStats</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="81"/>
        <source>%n done</source>
        <translation>
            <numerusform>%n done</numerusform>
            <numerusform>%n done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="82"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="83"/>
        <source>%n left</source>
        <translation>
            <numerusform>%n left</numerusform>
            <numerusform>%n left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="98"/>
        <source>%n completed</source>
        <translation>
            <numerusform>%n completed</numerusform>
            <numerusform>%n completed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="99"/>
        <source>%n no attachments</source>
        <translation>
            <numerusform>%n no attachments</numerusform>
            <numerusform>%n no attachments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="100"/>
        <source>%n need attention</source>
        <translation>
            <numerusform>%n needs attention</numerusform>
            <numerusform>%n need attention</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="102"/>
        <source>%n POs: {parts} — {size} in {time}</source>
        <translation>
            <numerusform>%n PO: {parts} — {size} in {time}</numerusform>
            <numerusform>%n POs: {parts} — {size} in {time}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BreakerOffer</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/breaker_offer.py" line="93"/>
        <source>Stopped sending {name}: its last {count} POs all ended with {way}; %n POs skipped.</source>
        <translation>
            <numerusform>Stopped sending {name}: its last {count} POs all ended with {way}; %n PO skipped.</numerusform>
            <numerusform>Stopped sending {name}: its last {count} POs all ended with {way}; %n POs skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ColumnDialog</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/column_dialog.py" line="125"/>
        <source>%n of the first rows shown hold a PO number in this column</source>
        <translation>
            <numerusform>%n of the first rows shown holds a PO number in this column</numerusform>
            <numerusform>%n of the first rows shown hold a PO number in this column</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/history_dialog.py" line="229"/>
        <source>{time}, unfinished: %n to do</source>
        <translation>
            <numerusform>{time}, unfinished: %n to do</numerusform>
            <numerusform>{time}, unfinished: %n to do</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/history_dialog.py" line="306"/>
        <source>Finished batches forgotten: %n.</source>
        <translation>
            <numerusform>Finished batches forgotten: %n.</numerusform>
            <numerusform>Finished batches forgotten: %n.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutcomeWords</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/outcome_words.py" line="34"/>
        <source>gave up after %n attempts: {reason}</source>
        <translation>
            <numerusform>gave up after %n attempt: {reason}</numerusform>
            <numerusform>gave up after %n attempts: {reason}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResumeOffer</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/resume_offer.py" line="35"/>
        <source>This sheet has an unfinished batch from {when}: {done} of %n POs done. Resume carries on where it stopped (finished POs and their files are kept); Start over works every PO again.</source>
        <translation>
            <numerusform>This sheet has an unfinished batch from {when}: {done} of %n PO done. Resume carries on where it stopped (finished POs and their files are kept); Start over works every PO again.</numerusform>
            <numerusform>This sheet has an unfinished batch from {when}: {done} of %n POs done. Resume carries on where it stopped (finished POs and their files are kept); Start over works every PO again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SheetSummary</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="24"/>
        <source>%n POs to download</source>
        <translation>
            <numerusform>%n PO to download</numerusform>
            <numerusform>%n POs to download</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="25"/>
        <source>%n duplicate rows</source>
        <translation>
            <numerusform>%n duplicate row</numerusform>
            <numerusform>%n duplicate rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="26"/>
        <source>%n invalid rows</source>
        <translation>
            <numerusform>%n invalid row</numerusform>
            <numerusform>%n invalid rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="27"/>
        <source>%n already completed</source>
        <translation>
            <numerusform>%n already completed</numerusform>
            <numerusform>%n already completed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorkerControls</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/worker_controls.py" line="43"/>
        <source>%n workers</source>
        <translation>
            <numerusform>%n worker</numerusform>
            <numerusform>%n workers</numerusform>
        </translation>
    </message>
</context>
</TS>
