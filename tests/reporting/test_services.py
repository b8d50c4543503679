from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
from reporting.services import create_report
from tests.factories import make_board, make_plan


def test_create_report_makes_a_row_for_every_item_of_the_plan(db):
    board = make_board()
    make_plan(board, 2019, board_goals=3, indicators=2, activities=2, areas=4)
    report = create_report(board, 2019, "T1")
    # one direction goal, one area goal, three board goals
    assert GoalAssessment.objects.filter(report=report).count() == 5
    assert IndicatorValue.objects.filter(report=report).count() == 6
    assert ActivityFollowUp.objects.filter(report=report).count() == 6
    assert report.operating_budget_rows.count() == 4


def test_create_report_leaves_out_another_boards_plan(db):
    board, other = make_board(), make_board("Äldrenämnden")
    make_plan(board, 2019)
    make_plan(other, 2019, board_goals=2)
    report = create_report(board, 2019, "VB")
    assert IndicatorValue.objects.filter(report=report).count() == 1
    assert {
        a.board_goal.board
        for a in GoalAssessment.objects.filter(report=report, board_goal__isnull=False)
    } == {board}
