"""Short article-like texts written for the tests (not news copies), shared by the bad-input and
seeds tests: a German one (unsupported language) and a French one (re-encoded as cp1252 to test
the non-UTF-8 message)."""

GERMAN = ("Der amerikanische Außenminister ist am Mittwoch in Moskau mit seinem russischen Kollegen "
          "zusammengetroffen. Die beiden Minister haben über die Lage in Syrien und über die Beziehungen "
          "zwischen den beiden Ländern gesprochen. Nach dem Treffen sagte er, dass das Vertrauen auf einem "
          "Tiefpunkt sei und dass man den Dialog fortsetzen wolle. Der russische Präsident hat ihn danach "
          "im Kreml empfangen, aber es gab keinen Durchbruch.\n")
FRENCH = ("Le secrétaire d'État américain a rencontré à Moscou le ministre russe des Affaires étrangères. "
          "« Le niveau de confiance est au plus bas », a déclaré le secrétaire d'État après trois heures de "
          "discussions. Les deux hommes ont évoqué la Syrie, l'Ukraine et la coopération économique. "
          "Où en sommes-nous ? Très préoccupé, il a ajouté qu'il fallait dégeler les relations.\n")
