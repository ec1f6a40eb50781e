# Generated from ui/first_run.ui by `python -m ctmtqg_desktop.gui.forms`.
# DO NOT EDIT: change the form in Qt Designer and run the generator again.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QRadioButton, QSizePolicy, QVBoxLayout, QWidget)

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(760, 600)
        FirstRunDialog.setWindowTitle(u"First run")
        self.mainLayout = QVBoxLayout(FirstRunDialog)
        self.mainLayout.setSpacing(10)
        self.mainLayout.setObjectName(u"mainLayout")
        self.title = QLabel(FirstRunDialog)
        self.title.setObjectName(u"title")
        self.title.setObjectName(u"dialogTitle")
        self.title.setText(u"Set up")

        self.mainLayout.addWidget(self.title)

        self.intro = QLabel(FirstRunDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)
        self.intro.setText(u"Intro")

        self.mainLayout.addWidget(self.intro)

        self.unitBox = QGroupBox(FirstRunDialog)
        self.unitBox.setObjectName(u"unitBox")
        self.unitBox.setTitle(u"Unit")
        self.unitLayout = QVBoxLayout(self.unitBox)
        self.unitLayout.setObjectName(u"unitLayout")
        self.unitSearch = QLineEdit(self.unitBox)
        self.unitSearch.setObjectName(u"unitSearch")
        self.unitSearch.setClearButtonEnabled(True)

        self.unitLayout.addWidget(self.unitSearch)

        self.unitList = QListWidget(self.unitBox)
        self.unitList.setObjectName(u"unitList")
        self.unitList.setMinimumHeight(180)

        self.unitLayout.addWidget(self.unitList)

        self.unitChosen = QLabel(self.unitBox)
        self.unitChosen.setObjectName(u"unitChosen")
        self.unitChosen.setWordWrap(True)
        self.unitChosen.setText(u"")

        self.unitLayout.addWidget(self.unitChosen)


        self.mainLayout.addWidget(self.unitBox)

        self.roleBox = QGroupBox(FirstRunDialog)
        self.roleBox.setObjectName(u"roleBox")
        self.roleBox.setTitle(u"Role")
        self.roleLayout = QVBoxLayout(self.roleBox)
        self.roleLayout.setObjectName(u"roleLayout")
        self.roleCommune = QRadioButton(self.roleBox)
        self.roleCommune.setObjectName(u"roleCommune")
        self.roleCommune.setChecked(True)
        self.roleCommune.setText(u"Commune")

        self.roleLayout.addWidget(self.roleCommune)

        self.roleParent = QRadioButton(self.roleBox)
        self.roleParent.setObjectName(u"roleParent")
        self.roleParent.setText(u"Parent")

        self.roleLayout.addWidget(self.roleParent)


        self.mainLayout.addWidget(self.roleBox)

        self.officerLayout = QFormLayout()
        self.officerLayout.setObjectName(u"officerLayout")
        self.officerLabel = QLabel(FirstRunDialog)
        self.officerLabel.setObjectName(u"officerLabel")
        self.officerLabel.setText(u"Officer")

        self.officerLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.officerLabel)

        self.officerName = QLineEdit(FirstRunDialog)
        self.officerName.setObjectName(u"officerName")

        self.officerLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.officerName)


        self.mainLayout.addLayout(self.officerLayout)

        self.enrollmentBox = QGroupBox(FirstRunDialog)
        self.enrollmentBox.setObjectName(u"enrollmentBox")
        self.enrollmentBox.setTitle(u"Enrollment")
        self.enrollmentLayout = QHBoxLayout(self.enrollmentBox)
        self.enrollmentLayout.setObjectName(u"enrollmentLayout")
        self.enrollmentNote = QLabel(self.enrollmentBox)
        self.enrollmentNote.setObjectName(u"enrollmentNote")
        self.enrollmentNote.setWordWrap(True)
        self.enrollmentNote.setText(u"Note")

        self.enrollmentLayout.addWidget(self.enrollmentNote)

        self.fromEnrollment = QPushButton(self.enrollmentBox)
        self.fromEnrollment.setObjectName(u"fromEnrollment")
        self.fromEnrollment.setText(u"From file")

        self.enrollmentLayout.addWidget(self.fromEnrollment)


        self.mainLayout.addWidget(self.enrollmentBox)

        self.message = QLabel(FirstRunDialog)
        self.message.setObjectName(u"message")
        self.message.setWordWrap(True)
        self.message.setText(u"")

        self.mainLayout.addWidget(self.message)

        self.buttons = QDialogButtonBox(FirstRunDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.officerLabel.setBuddy(self.officerName)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.unitSearch, self.unitList)
        QWidget.setTabOrder(self.unitList, self.roleCommune)
        QWidget.setTabOrder(self.roleCommune, self.roleParent)
        QWidget.setTabOrder(self.roleParent, self.officerName)
        QWidget.setTabOrder(self.officerName, self.fromEnrollment)

        self.retranslateUi(FirstRunDialog)

        QMetaObject.connectSlotsByName(FirstRunDialog)
    # setupUi

    def retranslateUi(self, FirstRunDialog):
        pass
    # retranslateUi

